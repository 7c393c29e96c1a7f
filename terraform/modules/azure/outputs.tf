output "nodes" {
  description = "The nodes, keyed by node id: id, role, region and the VM's static public IPv4 address."
  value = {
    for id in keys(azurerm_linux_virtual_machine.node) : id => {
      id      = id
      role    = var.role
      region  = var.region
      address = azurerm_public_ip.node[id].ip_address
    }
  }
}

output "resource_group_name" {
  description = "The resource group holding the nodes."
  value       = local.resource_group_name
}

output "network_security_group_id" {
  description = "The nodes' network security group, for rules of the caller's own."
  value       = azurerm_network_security_group.node.id
}
