# Stub of terraform/modules/azure for the synthesis tests: only its presence is checked.
variable "name" { type = string }
