# The common interface every platform module takes (see ../../README.md), then this module's own.

variable "name" {
  description = "Deployment name (the node group's name); part of every node's identity at the stream manager."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.name))
    error_message = "name must match [a-z0-9][a-z0-9-]{0,62}."
  }
}

variable "role" {
  description = "Node role: origin, relay, edge or transcoder."
  type        = string

  validation {
    condition     = contains(["origin", "relay", "edge", "transcoder"], var.role)
    error_message = "role must be one of origin, relay, edge, transcoder."
  }
}

variable "region" {
  description = "Region label the stream manager places by (a free label here, e.g. \"local\")."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]{1,64}$", var.region))
    error_message = "region must match [a-z0-9-]{1,64} (what a node needs to register with the stream manager)."
  }
}

variable "nodes" {
  description = "Ids of the nodes to run, one process per id. Removing an id stops exactly that node."
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

variable "size" {
  description = "Instance size; ignored here (a local node is a process), accepted so every module takes the same inputs."
  type        = string
  default     = ""
}

variable "image" {
  description = "Command line that starts one node process (run by bash), e.g. java -cp '/opt/cascade/lib/*' dev.cascade.node.Main. The node's settings come from the environment, not from this line."
  type        = string

  validation {
    condition     = trimspace(var.image) != ""
    error_message = "image must be the command line that starts a node process."
  }
}

variable "manager_urls" {
  description = "Stream manager base URLs (http://host:port). Empty: the nodes run standalone."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for u in var.manager_urls : can(regex("^https?://[^\\s,]+$", u))])
    error_message = "Every manager URL must be an http:// or https:// base URL without spaces or commas."
  }
}

variable "join_token" {
  description = "Cluster join token the nodes register with (the stream managers' security.joinToken)."
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
      "CASCADE_SRT_PORT", "CASCADE_HTTP_PORT", "CASCADE_WEBRTC_PORT",
    ])) == 0
    error_message = "node_config must not set the keys the module sets (node id, role, region, cloud, group, public host, manager URLs and token, ports); use the module's variables."
  }
}

variable "state_dir" {
  description = "Directory for the nodes' pid, port and log files (state_dir/nodes/<id>.{pid,ports,log}). An absolute path, so that every Terraform run finds the same files."
  type        = string

  validation {
    condition     = startswith(var.state_dir, "/")
    error_message = "state_dir must be an absolute path."
  }
}

variable "public_host" {
  description = "Address the nodes give clients and other nodes (CASCADE_NODE_PUBLIC_HOST), and the address output."
  type        = string
  default     = "127.0.0.1"
}

variable "stop_timeout" {
  description = "Seconds a stopping node gets after SIGTERM (to deregister and close its sessions) before SIGKILL."
  type        = number
  default     = 10

  validation {
    condition     = var.stop_timeout >= 1 && var.stop_timeout <= 300
    error_message = "stop_timeout must be between 1 and 300 seconds."
  }
}

variable "start_timeout" {
  description = "Seconds a starting node gets to listen on its HTTP port. A node that exits before is a failed apply; one still running but not listening yet is left running, with a warning. 0: do not wait (the stream manager does: it replaces a node that does not register within its boot timeout)."
  type        = number
  default     = 30

  validation {
    condition     = var.start_timeout >= 0 && var.start_timeout <= 600
    error_message = "start_timeout must be between 0 and 600 seconds."
  }
}
