# Stub of terraform/modules/openstack for the synthesis tests: only its presence is checked.
variable "name" { type = string }
