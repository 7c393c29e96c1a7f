output "nodes" {
  description = "The nodes, keyed by node id: id, role, region and the droplet's public IPv4 address."
  value = {
    for id, droplet in digitalocean_droplet.node : id => {
      id      = id
      role    = var.role
      region  = var.region
      address = droplet.ipv4_address
    }
  }
}

output "firewall_id" {
  description = "The nodes' cloud firewall."
  value       = digitalocean_firewall.node.id
}
