# This platform's inputs: region, size, image and its own; the inputs every cloud takes alike are in
# shared-variables.tf (a link to ../../shared/cloud-variables.tf).

variable "region" {
  description = "Linode region (eu-central, us-east, ...); it must offer the Metadata service, which delivers the user data."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,64}$", var.region))
    error_message = "region must match [a-z0-9-]{1,64} (what a node needs to register with the stream manager)."
  }
}

variable "size" {
  description = "Linode type. Empty: g6-dedicated-2."
  type        = string
  default     = ""
}

variable "image" {
  description = "Linode image. Empty: linode/debian12."
  type        = string
  default     = ""
}

variable "authorized_keys" {
  description = "SSH public keys for root on the instances. Empty: none (root gets a random password Linode does not show)."
  type        = list(string)
  default     = []
}
