output "nodes" {
  description = "The nodes, keyed by node id: id, role, region and the instance's external IPv4 address."
  value = {
    for id, instance in google_compute_instance.node : id => {
      id      = id
      role    = var.role
      region  = var.region
      address = instance.network_interface[0].access_config[0].nat_ip
    }
  }
}

output "network_tag" {
  description = "The network tag on every node, for firewall rules of the caller's own."
  value       = local.network_tag
}
