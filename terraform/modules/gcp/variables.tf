# This platform's inputs: region, size, image and its own; the inputs every cloud takes alike are in
# shared-variables.tf (a link to ../../shared/cloud-variables.tf).

variable "region" {
  description = "GCP region (europe-west1, ...); the zone is region-zone_suffix."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,64}$", var.region))
    error_message = "region must match [a-z0-9-]{1,64} (what a node needs to register with the stream manager)."
  }
}

variable "size" {
  description = "Machine type. Empty: e2-standard-2."
  type        = string
  default     = ""
}

variable "image" {
  description = "Boot image (project/family or self link). Empty: ubuntu-os-cloud/ubuntu-2404-lts-amd64 (Google's Debian images do not run cloud-init; the node's packages have the same names on Ubuntu 24.04)."
  type        = string
  default     = ""
}

variable "project" {
  description = "GCP project. Empty: the google provider's project."
  type        = string
  default     = ""
}

variable "zone_suffix" {
  description = "Zone within the region: the instances run in <region>-<zone_suffix>. b exists in every region (a does not)."
  type        = string
  default     = "b"

  validation {
    condition     = can(regex("^[a-z]$", var.zone_suffix))
    error_message = "zone_suffix must be one letter, e.g. b."
  }
}

variable "network" {
  description = "VPC network the firewall rules and (without subnetwork) the instances belong to."
  type        = string
  default     = "default"
}

variable "subnetwork" {
  description = "Subnetwork for the instances (in network, in region). Empty: the network's subnetwork in the region (auto-mode networks such as default)."
  type        = string
  default     = ""
}

variable "disk_size_gb" {
  description = "Boot disk size in GB. The node keeps nothing on disk but its runtime and logs."
  type        = number
  default     = 20
}
