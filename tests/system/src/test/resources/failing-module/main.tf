# A cloud module that always fails to create its nodes: what a cloud that is down, out of quota or
# refusing the credentials looks like to the cloud controller.
variable "name" { type = string }
variable "role" { type = string }
variable "region" { type = string }
variable "nodes" { type = list(string) }
variable "size" {
  type    = string
  default = ""
}
variable "image" {
  type    = string
  default = ""
}
variable "manager_urls" { type = list(string) }
variable "join_token" {
  type      = string
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

resource "terraform_data" "node" {
  for_each = toset(var.nodes)
  provisioner "local-exec" {
    command = "echo 'cloud unavailable: quota exceeded for ${each.key}' >&2; exit 1"
  }
}

output "nodes" {
  value = { for id in var.nodes : id => { id = id, role = var.role, region = var.region, address = "" } }
}
