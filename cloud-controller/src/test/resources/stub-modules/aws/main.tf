# Stub of terraform/modules/aws for the synthesis tests: only its presence is checked.
variable "name" { type = string }
