output "user_data" {
  description = "Cloud-init user data (#cloud-config) per node id. Holds the join token."
  value       = local.user_data
  sensitive   = true
}

output "ports" {
  description = "The role's ports: srt (UDP), http (TCP), webrtc (UDP; 0 for relays)."
  value       = local.ports
}

output "firewall_rules" {
  description = "What to open to clients and other nodes: a list of { name, protocol (tcp|udp), port }."
  value       = local.firewall_rules
}

output "names" {
  description = "A resource name per node id, valid on every platform (lowercase letter first, [a-z0-9-], at most 63 characters)."
  value       = local.names
}

output "deployment_name" {
  description = "A name for the deployment's shared resources, unique per name, role and region and valid on every platform (same rules as names)."
  value       = local.deployment_name
}
