output "nodes" {
  description = "The nodes, keyed by node id: id, role, region and the address clients reach them at (the floating IP, else the instance's fixed IPv4)."
  value = {
    for id, instance in openstack_compute_instance_v2.node : id => {
      id      = id
      role    = var.role
      region  = var.region
      address = var.floating_ip_pool != "" ? openstack_networking_floatingip_v2.node[id].address : instance.access_ip_v4
    }
  }
}

output "security_group_id" {
  description = "The nodes' security group, for rules of the caller's own."
  value       = openstack_networking_secgroup_v2.node.id
}
