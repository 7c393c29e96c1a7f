output "nodes" {
  description = "The nodes, keyed by node id: id, role, region and the address clients reach them at."
  value = {
    for id in keys(terraform_data.node) : id => {
      id      = id
      role    = var.role
      region  = var.region
      address = var.public_host
    }
  }
}
