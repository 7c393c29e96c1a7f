# The inputs every cloud module takes alike (terraform/README.md has the interface): one file,
# linked into each cloud module as shared-variables.tf, so the six modules cannot drift apart.
# region, size and image are declared in each module, whose defaults and meaning differ per cloud.

variable "name" {
  description = "Deployment name (the node group's name); part of every resource name and tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.name))
    error_message = "name must match [a-z0-9][a-z0-9-]{0,62}."
  }
}

variable "role" {
  description = "Node role: origin, relay, edge or transcoder. Decides the ports opened and, for origins and transcoders, that ffmpeg is installed."
  type        = string

  validation {
    condition     = contains(["origin", "relay", "edge", "transcoder"], var.role)
    error_message = "role must be one of origin, relay, edge, transcoder."
  }
}

variable "nodes" {
  description = "Ids of the nodes to run, one machine per id. Removing an id destroys exactly that machine."
  type        = list(string)

  validation {
    condition     = alltrue([for id in var.nodes : can(regex("^[A-Za-z0-9_.-]{1,64}$", id))])
    error_message = "Every node id must match [A-Za-z0-9_.-]{1,64}."
  }

  validation {
    condition     = length(distinct(var.nodes)) == length(var.nodes)
    error_message = "Node ids must be unique."
  }
}

variable "manager_urls" {
  description = "Stream manager base URLs (http://host:port) the nodes register with. Empty: the nodes run standalone."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for u in var.manager_urls : can(regex("^https?://[^\\s,]+$", u))])
    error_message = "Every manager URL must be an http:// or https:// base URL without spaces or commas."
  }
}

variable "join_token" {
  description = "Cluster join token the nodes register with (the stream managers' security.joinToken). Delivered in the machines' user data."
  type        = string
  default     = ""
  sensitive   = true
}

variable "group" {
  description = "Node group the nodes join at the stream manager (usually the same as name); empty: none."
  type        = string
  default     = ""

  validation {
    condition     = var.group == "" || can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.group))
    error_message = "group must be empty or match [a-z0-9][a-z0-9-]{0,62}."
  }
}

variable "node_config" {
  description = "Extra node settings as environment variables (CASCADE_SRT_LATENCY_MS = \"200\", ...). The keys this module sets itself are refused."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.node_config : can(regex("^CASCADE_[A-Z0-9_]+$", k)) && !strcontains(v, "\n")])
    error_message = "node_config keys must match CASCADE_[A-Z0-9_]+ and values must be single lines."
  }

  validation {
    condition = length(setintersection(keys(var.node_config), [
      "CASCADE_NODE_ID", "CASCADE_NODE_ROLE", "CASCADE_NODE_REGION", "CASCADE_NODE_CLOUD", "CASCADE_NODE_GROUP",
      "CASCADE_NODE_PUBLIC_HOST", "CASCADE_MANAGER_URLS", "CASCADE_MANAGER_JOIN_TOKEN",
      "CASCADE_SRT_PORT", "CASCADE_HTTP_PORT", "CASCADE_WEBRTC_PORT", "CASCADE_WEBRTC_PUBLIC_ADDRESS",
    ])) == 0
    error_message = "node_config must not set the keys the module sets (node id, role, region, cloud, group, public host and WebRTC address, manager URLs and token, ports); use the module's variables."
  }
}

variable "package_url" {
  description = "URL of a Cascade node tarball (lib/*.jar at its top) that cloud-init unpacks into /opt/cascade. Empty: the image already has /opt/cascade/lib."
  type        = string
  default     = ""
}

variable "allowed_cidrs" {
  description = "IPv4 ranges the node ports (SRT, HTTP, WebRTC) are open to: publishers, viewers, other nodes and the stream managers."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.allowed_cidrs) > 0 && alltrue([for c in var.allowed_cidrs : can(cidrnetmask(c))])
    error_message = "allowed_cidrs must hold at least one IPv4 CIDR block."
  }
}

variable "ssh_cidrs" {
  description = "IPv4 ranges SSH (TCP 22) is open to. Empty: SSH is closed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.ssh_cidrs : can(cidrnetmask(c))])
    error_message = "ssh_cidrs must hold IPv4 CIDR blocks."
  }
}
