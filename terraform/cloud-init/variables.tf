# Internal to the cloud modules (modules/<platform>), which validate these values with the same
# rules as the node and pass them on unchanged.

variable "cloud" {
  description = "Platform name the node reports (CASCADE_NODE_CLOUD): aws, gcp, azure, digitalocean, linode, openstack."
  type        = string
}

variable "name" {
  description = "Deployment name; prefix of every resource name."
  type        = string
}

variable "role" {
  description = "origin, relay, edge or transcoder."
  type        = string
}

variable "region" {
  description = "Region label the node registers with."
  type        = string
}

variable "nodes" {
  description = "Node ids."
  type        = list(string)
}

variable "group" {
  description = "Node group; empty: none."
  type        = string
  default     = ""
}

variable "manager_urls" {
  description = "Stream manager base URLs."
  type        = list(string)
  default     = []
}

variable "join_token" {
  description = "Cluster join token."
  type        = string
  default     = ""
  sensitive   = true
}

variable "node_config" {
  description = "Extra CASCADE_* environment variables."
  type        = map(string)
  default     = {}
}

variable "package_url" {
  description = "URL of a Cascade node tarball (lib/*.jar) unpacked into /opt/cascade at first boot; empty: the image has /opt/cascade."
  type        = string
  default     = ""
}

variable "public_hosts" {
  description = "Public IPv4 address per node id where the platform knows it before the machine exists (a reserved address); the others find theirs at boot with public_host_command."
  type        = map(string)
  default     = {}
}

variable "public_host_command" {
  description = "Shell command, run on the machine at every node start, that prints its public IPv4 address (from the platform's metadata service, or the source address of its default route)."
  type        = string
  default     = "ip -4 route get 1.1.1.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'"
}
