# A test-only stand-in for terraform/modules/local: the same inputs and output, but its "nodes" are marker files,
# and chosen ids fail (fail_ids) or hang (hang_ids) when they are created. Used by CloudControllerIT to check
# failures, retries, timeouts and that a failed apply leaves the state it started from.

variable "name" { type = string }
variable "role" { type = string }
variable "region" { type = string }
variable "nodes" { type = list(string) }
variable "size" {
  type    = string
  default = ""
}
variable "image" { type = string }
variable "manager_urls" {
  type    = list(string)
  default = []
}
variable "join_token" {
  type      = string
  default   = ""
  sensitive = true
}
variable "group" {
  type    = string
  default = ""
}
variable "node_config" {
  type    = map(string)
  default = {}
}
variable "state_dir" { type = string }
variable "fail_ids" {
  description = "Comma-separated node ids whose creation fails (exit 1 with a message on stderr)."
  type        = string
  default     = ""
}
variable "hang_ids" {
  description = "Comma-separated node ids whose creation hangs (sleep 300, its pid in state_dir/<id>.hang)."
  type        = string
  default     = ""
}

resource "terraform_data" "node" {
  for_each = toset(var.nodes)
  input    = { id = each.key, dir = var.state_dir }

  provisioner "local-exec" {
    command = (contains(split(",", var.fail_ids), each.key)
      ? "echo 'cascade-test: node ${each.key} refused to start' >&2; exit 1"
      : contains(split(",", var.hang_ids), each.key)
      ? "mkdir -p '${var.state_dir}' && echo $$ > '${var.state_dir}/${each.key}.hang' && exec sleep 300"
    : "mkdir -p '${var.state_dir}' && touch '${var.state_dir}/${each.key}.node'")
  }

  provisioner "local-exec" {
    when    = destroy
    command = "rm -f '${self.input.dir}/${self.input.id}.node'"
  }
}

output "nodes" {
  value = {
    for id in keys(terraform_data.node) : id => { id = id, role = var.role, region = var.region, address = "127.0.0.1" }
  }
}
