# Stub of terraform/modules/digitalocean for the synthesis tests: only its presence is checked.
variable "name" { type = string }
