# Stub of terraform/modules/linode for the synthesis tests: only its presence is checked.
variable "name" { type = string }
