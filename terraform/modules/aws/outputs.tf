output "nodes" {
  description = "The nodes, keyed by node id: id, role, region and the instance's public IPv4 address."
  value = {
    for id, instance in aws_instance.node : id => {
      id      = id
      role    = var.role
      region  = var.region
      address = instance.public_ip
    }
  }
}

output "security_group_id" {
  description = "The nodes' security group, for rules of the caller's own (a load balancer, monitoring)."
  value       = aws_security_group.node.id
}
