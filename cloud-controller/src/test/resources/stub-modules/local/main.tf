# Stub of terraform/modules/local for the synthesis tests: only its presence is checked.
variable "name" { type = string }
