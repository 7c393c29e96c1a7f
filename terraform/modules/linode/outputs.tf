output "nodes" {
  description = "The nodes, keyed by node id: id, role, region and the instance's public IPv4 address."
  value = {
    for id, instance in linode_instance.node : id => {
      id      = id
      role    = var.role
      region  = var.region
      address = instance.ip_address
    }
  }
}

output "firewall_id" {
  description = "The nodes' firewall."
  value       = linode_firewall.node.id
}
