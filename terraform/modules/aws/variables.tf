# This platform's inputs: region, size, image and its own; the inputs every cloud takes alike are in
# shared-variables.tf (a link to ../../shared/cloud-variables.tf).

variable "region" {
  description = "AWS region the nodes run in; must be the region of the aws provider the caller passes (checked)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,64}$", var.region))
    error_message = "region must match [a-z0-9-]{1,64} (what a node needs to register with the stream manager)."
  }
}

variable "size" {
  description = "EC2 instance type. Empty: c6i.large (2 vCPU, 4 GiB, up to 12.5 Gbps)."
  type        = string
  default     = ""
}

variable "image" {
  description = "AMI id. Empty: the newest official Debian 12 amd64 AMI (owner 136693071363) at the time each node is created."
  type        = string
  default     = ""
}

variable "subnet_id" {
  description = "Subnet the instances go in (its VPC gets the security group). Empty: the region's default VPC, in a default subnet AWS picks."
  type        = string
  default     = ""
}

variable "key_name" {
  description = "EC2 key pair for SSH (see ssh_cidrs). Empty: none."
  type        = string
  default     = ""
}

variable "root_volume_size" {
  description = "Root volume size in GiB (gp3). The node keeps nothing on disk but its runtime and logs."
  type        = number
  default     = 16
}
