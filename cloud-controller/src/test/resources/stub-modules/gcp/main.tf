# Stub of terraform/modules/gcp for the synthesis tests: only its presence is checked.
variable "name" { type = string }
