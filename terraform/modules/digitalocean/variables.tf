# This platform's inputs: region, size, image and its own; the inputs every cloud takes alike are in
# shared-variables.tf (a link to ../../shared/cloud-variables.tf).

variable "region" {
  description = "DigitalOcean region slug (fra1, nyc3, ...)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,64}$", var.region))
    error_message = "region must match [a-z0-9-]{1,64} (what a node needs to register with the stream manager)."
  }
}

variable "size" {
  description = "Droplet size slug. Empty: c-2 (CPU-optimized, 2 vCPU)."
  type        = string
  default     = ""
}

variable "image" {
  description = "Droplet image slug or id. Empty: debian-12-x64."
  type        = string
  default     = ""
}

variable "ssh_keys" {
  description = "SSH key ids or fingerprints (of keys in the DigitalOcean account) for root on the droplets. Empty: none."
  type        = list(string)
  default     = []
}

variable "vpc_uuid" {
  description = "VPC for the droplets. Empty: the account's default VPC in the region."
  type        = string
  default     = ""
}
