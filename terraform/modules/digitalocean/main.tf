module "cloud_init" {
  source = "./cloud-init"

  cloud        = "digitalocean"
  name         = var.name
  role         = var.role
  region       = var.region
  nodes        = var.nodes
  group        = var.group
  manager_urls = var.manager_urls
  join_token   = var.join_token
  node_config  = var.node_config
  package_url  = var.package_url
  # The metadata service names the public address exactly (eth0 also carries an anchor address).
  public_host_command = "curl -sf http://169.254.169.254/metadata/v1/interfaces/public/0/ipv4/address"
}

locals {
  # Droplet tags allow [A-Za-z0-9_:-] only (no "."): droplets are told apart by their names.
  tags = concat(
    [digitalocean_tag.deployment.name, "cascade-role:${var.role}"],
    var.group == "" ? [] : ["cascade-group:${var.group}"],
  )
}

# The firewall applies to the droplets with this tag, so a new droplet is covered from its first
# boot and scaling never touches the firewall. One per deployment (name, role and region): deleting
# one deployment's tag must not strip another's droplets (firewalls and tags are not regional).
resource "digitalocean_tag" "deployment" {
  name = module.cloud_init.deployment_name
}

resource "digitalocean_droplet" "node" {
  # for_each, never count: removing one id destroys exactly that droplet.
  for_each = toset(var.nodes)

  name      = module.cloud_init.names[each.key]
  region    = var.region
  size      = var.size != "" ? var.size : "c-2"
  image     = var.image != "" ? var.image : "debian-12-x64"
  ssh_keys  = var.ssh_keys
  vpc_uuid  = var.vpc_uuid != "" ? var.vpc_uuid : null
  user_data = module.cloud_init.user_data[each.key]
  tags      = local.tags

  lifecycle {
    # A node keeps the machine and settings it was created with: another size, image, SSH key or
    # changed settings must not replace or restart every node at once (each drops its viewers).
    # Nodes created afterwards get them; the controller rolls a change by replacing node ids.
    ignore_changes = [size, image, user_data, ssh_keys]

    precondition {
      condition     = length(var.manager_urls) == 0 || var.join_token != ""
      error_message = "join_token must be set when manager_urls is (nodes register with it)."
    }
  }
}

resource "digitalocean_firewall" "node" {
  name = module.cloud_init.deployment_name
  tags = [digitalocean_tag.deployment.name]

  dynamic "inbound_rule" {
    for_each = module.cloud_init.firewall_rules
    content {
      protocol         = inbound_rule.value.protocol
      port_range       = tostring(inbound_rule.value.port)
      source_addresses = var.allowed_cidrs
    }
  }

  dynamic "inbound_rule" {
    for_each = length(var.ssh_cidrs) > 0 ? [1] : []
    content {
      protocol         = "tcp"
      port_range       = "22"
      source_addresses = var.ssh_cidrs
    }
  }

  # A DigitalOcean firewall drops whatever it does not allow, outbound too: packages at boot, the
  # stream managers, other nodes' SRT ports and viewers all need these.
  outbound_rule {
    protocol              = "tcp"
    port_range            = "1-65535"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }

  outbound_rule {
    protocol              = "udp"
    port_range            = "1-65535"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }

  outbound_rule {
    protocol              = "icmp"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }
}
