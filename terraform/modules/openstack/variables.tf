# This platform's inputs: region, size, image and its own; the inputs every cloud takes alike are in
# shared-variables.tf (a link to ../../shared/cloud-variables.tf).

variable "region" {
  description = "Region label the nodes register with at the stream manager ([a-z0-9-]); the OpenStack region is the provider's, or openstack_region."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,64}$", var.region))
    error_message = "region must match [a-z0-9-]{1,64} (what a node needs to register with the stream manager)."
  }
}

variable "size" {
  description = "Flavor name. Empty: m1.medium."
  type        = string
  default     = ""
}

variable "image" {
  description = "Image name (required: OpenStack clouds name their images differently). A Debian 12 or Ubuntu 24.04 cloud image with cloud-init."
  type        = string
  default     = ""

  validation {
    condition     = var.image != ""
    error_message = "image must name a Debian 12 (or Ubuntu 24.04) cloud image of this OpenStack cloud: image names differ from cloud to cloud."
  }
}

variable "network_name" {
  description = "Network the instances' ports go on (it needs a subnet; with floating_ip_pool, one routed to that pool)."
  type        = string

  validation {
    condition     = var.network_name != ""
    error_message = "network_name must name a network of the project."
  }
}

variable "floating_ip_pool" {
  description = "External network to take a floating IP from for each node, its public address. Empty: none, the nodes' fixed IPs are their addresses (a provider network reachable by clients)."
  type        = string
  default     = ""
}

variable "key_pair" {
  description = "Compute key pair for SSH (see ssh_cidrs). Empty: none."
  type        = string
  default     = ""
}

variable "openstack_region" {
  description = "OpenStack region (RegionOne, ...), which need not fit the node's region label. Empty: the provider's."
  type        = string
  default     = ""
}
