# This platform's inputs: region, size, image and its own; the inputs every cloud takes alike are in
# shared-variables.tf (a link to ../../shared/cloud-variables.tf).

variable "region" {
  description = "Azure location in its short form (westeurope, eastus2, ...)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,64}$", var.region))
    error_message = "region must match [a-z0-9-]{1,64} (what a node needs to register with the stream manager)."
  }
}

variable "size" {
  description = "VM size. Empty: Standard_F2s_v2."
  type        = string
  default     = ""
}

variable "image" {
  description = "Marketplace image as publisher:offer:sku:version, or an image resource id (/subscriptions/...). Empty: Debian:debian-12:12-gen2:latest."
  type        = string
  default     = ""

  validation {
    condition     = var.image == "" || startswith(var.image, "/") || length(split(":", var.image)) == 4
    error_message = "image must be publisher:offer:sku:version or an image resource id (/subscriptions/...)."
  }
}

variable "admin_ssh_public_key" {
  description = "OpenSSH public key of the VMs' admin user (Azure requires a key or a password on every Linux VM; SSH itself stays closed unless ssh_cidrs opens it)."
  type        = string

  validation {
    condition     = can(regex("^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) ", var.admin_ssh_public_key))
    error_message = "admin_ssh_public_key must be an OpenSSH public key (ssh-rsa ..., ssh-ed25519 ...)."
  }
}

variable "admin_username" {
  description = "Admin user on the VMs. Not \"cascade\": that is the system user the node runs as."
  type        = string
  default     = "cascade-admin"

  validation {
    condition     = var.admin_username != "cascade" && can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.admin_username))
    error_message = "admin_username must be a valid Linux user name other than cascade."
  }
}

variable "resource_group_name" {
  description = "Existing resource group for everything this module creates. Empty: a new one, cascade-<name>-<region>."
  type        = string
  default     = ""
}

variable "subnet_id" {
  description = "Existing subnet (resource id) for the VMs. Empty: a new virtual network (address_space) with one subnet."
  type        = string
  default     = ""
}

variable "address_space" {
  description = "Address space of the virtual network made when subnet_id is empty."
  type        = string
  default     = "10.64.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.address_space))
    error_message = "address_space must be an IPv4 CIDR block."
  }
}

variable "os_disk_size_gb" {
  description = "OS disk size in GB (StandardSSD_LRS). The node keeps nothing on disk but its runtime and logs."
  type        = number
  default     = 30
}
