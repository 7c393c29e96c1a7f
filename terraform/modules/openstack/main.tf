module "cloud_init" {
  source = "./cloud-init"

  cloud        = "openstack"
  name         = var.name
  role         = var.role
  region       = var.region
  nodes        = var.nodes
  group        = var.group
  manager_urls = var.manager_urls
  join_token   = var.join_token
  node_config  = var.node_config
  package_url  = var.package_url
  # A floating IP is NAT'ed onto the port, so the instance cannot see it: it is allocated before
  # the instance and told to the node. Without one, the fixed IP on the instance's interface is the
  # address (the default public_host_command finds it).
  public_hosts = { for id, fip in openstack_networking_floatingip_v2.node : id => fip.address }
}

locals {
  region = var.openstack_region != "" ? var.openstack_region : null

  metadata = merge(
    {
      cascade-deployment = var.name
      cascade-role       = var.role
    },
    var.group == "" ? {} : { cascade-group = var.group },
  )

  ingress = merge(
    {
      for pair in setproduct(module.cloud_init.firewall_rules, var.allowed_cidrs) :
      "${pair[0].name} ${pair[1]}" => { protocol = pair[0].protocol, port = pair[0].port, cidr = pair[1] }
    },
    { for cidr in var.ssh_cidrs : "ssh ${cidr}" => { protocol = "tcp", port = 22, cidr = cidr } },
  )
}

data "openstack_networking_network_v2" "node" {
  region = local.region
  name   = var.network_name
}

# Neutron adds its default egress rules (everything out) to a new group; only ingress is added here.
resource "openstack_networking_secgroup_v2" "node" {
  region      = local.region
  name        = module.cloud_init.deployment_name
  description = "Cascade ${var.role} nodes of ${var.name}: SRT, HTTP, WebRTC"
}

resource "openstack_networking_secgroup_rule_v2" "node" {
  for_each = local.ingress

  region            = local.region
  security_group_id = openstack_networking_secgroup_v2.node.id
  direction         = "ingress"
  ethertype         = "IPv4"
  protocol          = each.value.protocol
  port_range_min    = each.value.port
  port_range_max    = each.value.port
  remote_ip_prefix  = each.value.cidr
}

# A port per node, made before the instance: the floating IP can then be bound to it (and its
# address known) before the node boots.
resource "openstack_networking_port_v2" "node" {
  for_each = toset(var.nodes)

  region             = local.region
  name               = module.cloud_init.names[each.key]
  network_id         = data.openstack_networking_network_v2.node.id
  admin_state_up     = true
  security_group_ids = [openstack_networking_secgroup_v2.node.id]
}

resource "openstack_networking_floatingip_v2" "node" {
  for_each = var.floating_ip_pool == "" ? toset([]) : toset(var.nodes)

  region      = local.region
  pool        = var.floating_ip_pool
  port_id     = openstack_networking_port_v2.node[each.key].id
  description = "Cascade node ${each.key} of ${var.name}"
}

resource "openstack_compute_instance_v2" "node" {
  # for_each, never count: removing one id destroys exactly that instance.
  for_each = toset(var.nodes)

  region      = local.region
  name        = module.cloud_init.names[each.key]
  image_name  = var.image
  flavor_name = var.size != "" ? var.size : "m1.medium"
  key_pair    = var.key_pair != "" ? var.key_pair : null
  user_data   = module.cloud_init.user_data[each.key]
  metadata    = merge(local.metadata, { cascade-node = each.key })
  # Shut down before deletion, so that systemd stops the node and it deregisters.
  stop_before_destroy = true

  network {
    port = openstack_networking_port_v2.node[each.key].id
  }

  # The ingress rules must be in place before the node starts and registers.
  depends_on = [openstack_networking_secgroup_rule_v2.node]

  lifecycle {
    # A node keeps the machine and settings it was created with: another flavor, image, key pair
    # or changed settings must not replace or restart every node at once (each drops its viewers).
    # Nodes created afterwards get them; the controller rolls a change by replacing node ids.
    ignore_changes = [image_name, flavor_name, user_data, key_pair]

    precondition {
      condition     = length(var.manager_urls) == 0 || var.join_token != ""
      error_message = "join_token must be set when manager_urls is (nodes register with it)."
    }
  }
}
