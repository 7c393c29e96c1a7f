module "cloud_init" {
  source = "./cloud-init"

  cloud        = "linode"
  name         = var.name
  role         = var.role
  region       = var.region
  nodes        = var.nodes
  group        = var.group
  manager_urls = var.manager_urls
  join_token   = var.join_token
  node_config  = var.node_config
  package_url  = var.package_url
  # public_host_command left at its default: a Linode's public IPv4 is on eth0, the source
  # address of its default route.
}

locals {
  # Firewall labels are unique in the account and 3-32 characters long; a longer deployment name is
  # cut and given a hash to stay unique.
  firewall_label_full = module.cloud_init.deployment_name
  firewall_label = (length(local.firewall_label_full) <= 32 ? local.firewall_label_full
  : "${trimsuffix(substr(local.firewall_label_full, 0, 24), "-")}-${substr(sha1(local.firewall_label_full), 0, 7)}")

  # Tags are free text of 3-50 characters.
  tags = concat(
    ["cascade", "cascade-${var.role}", substr("cascade-${var.name}", 0, 50)],
    var.group == "" ? [] : [substr("cascade-group-${var.group}", 0, 50)],
  )
}

resource "linode_firewall" "node" {
  label           = local.firewall_label
  inbound_policy  = "DROP"
  outbound_policy = "ACCEPT"
  tags            = local.tags

  dynamic "inbound" {
    for_each = module.cloud_init.firewall_rules
    content {
      label    = "cascade-${inbound.value.name}"
      action   = "ACCEPT"
      protocol = upper(inbound.value.protocol)
      ports    = tostring(inbound.value.port)
      ipv4     = var.allowed_cidrs
    }
  }

  dynamic "inbound" {
    for_each = length(var.ssh_cidrs) > 0 ? [1] : []
    content {
      label    = "ssh"
      action   = "ACCEPT"
      protocol = "TCP"
      ports    = "22"
      ipv4     = var.ssh_cidrs
    }
  }
}

resource "linode_instance" "node" {
  # for_each, never count: removing one id destroys exactly that instance.
  for_each = toset(var.nodes)

  label           = module.cloud_init.names[each.key]
  region          = var.region
  type            = var.size != "" ? var.size : "g6-dedicated-2"
  image           = var.image != "" ? var.image : "linode/debian12"
  authorized_keys = var.authorized_keys
  tags            = local.tags
  # Attached at creation, so the node is behind it from its first boot.
  firewall_id = linode_firewall.node.id

  # Read by cloud-init from the Metadata service.
  metadata {
    user_data = base64encode(module.cloud_init.user_data[each.key])
  }

  lifecycle {
    # A node keeps the machine and settings it was created with: another type, image, SSH key or
    # changed settings must not replace or restart every node at once (each drops its viewers).
    # Nodes created afterwards get them; the controller rolls a change by replacing node ids.
    ignore_changes = [type, image, metadata, authorized_keys]

    precondition {
      condition     = length(var.manager_urls) == 0 || var.join_token != ""
      error_message = "join_token must be set when manager_urls is (nodes register with it)."
    }
  }
}
