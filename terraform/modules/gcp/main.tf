module "cloud_init" {
  source = "./cloud-init"

  cloud        = "gcp"
  name         = var.name
  role         = var.role
  region       = var.region
  nodes        = var.nodes
  group        = var.group
  manager_urls = var.manager_urls
  join_token   = var.join_token
  node_config  = var.node_config
  package_url  = var.package_url
  # The external IPv4 is NAT'ed onto the instance, so only the metadata server knows it.
  public_host_command = "curl -sf -H 'Metadata-Flavor: Google' http://169.254.169.254/computeMetadata/v1/instance/network-interfaces/0/access-configs/0/external-ip"
}

locals {
  project = var.project != "" ? var.project : null

  # The nodes' network tag and their firewall rule's name (firewall names are global in a project).
  network_tag = module.cloud_init.deployment_name

  labels = merge(
    {
      cascade-deployment = var.name
      cascade-role       = var.role
    },
    var.group == "" ? {} : { cascade-group = var.group },
  )
}

resource "google_compute_firewall" "node" {
  project     = local.project
  name        = local.network_tag
  network     = var.network
  description = "Cascade ${var.role} nodes of ${var.name}: SRT, HTTP, WebRTC"
  direction   = "INGRESS"

  source_ranges = var.allowed_cidrs
  target_tags   = [local.network_tag]

  dynamic "allow" {
    for_each = module.cloud_init.firewall_rules
    content {
      protocol = allow.value.protocol
      ports    = [tostring(allow.value.port)]
    }
  }
}

resource "google_compute_firewall" "ssh" {
  count = length(var.ssh_cidrs) > 0 ? 1 : 0

  project     = local.project
  name        = "${trimsuffix(substr(local.network_tag, 0, 59), "-")}-ssh"
  network     = var.network
  description = "SSH to the Cascade nodes of ${var.name}"
  direction   = "INGRESS"

  source_ranges = var.ssh_cidrs
  target_tags   = [local.network_tag]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_instance" "node" {
  # for_each, never count: removing one id destroys exactly that instance.
  for_each = toset(var.nodes)

  project      = local.project
  name         = module.cloud_init.names[each.key]
  machine_type = var.size != "" ? var.size : "e2-standard-2"
  zone         = "${var.region}-${var.zone_suffix}"
  tags         = [local.network_tag]
  # Label values allow only [a-z0-9_-], so the node's label is its resource name; the exact id is
  # in the metadata.
  labels = merge(local.labels, { cascade-node = module.cloud_init.names[each.key] })

  boot_disk {
    initialize_params {
      image = var.image != "" ? var.image : "ubuntu-os-cloud/ubuntu-2404-lts-amd64"
      size  = var.disk_size_gb
    }
  }

  network_interface {
    network    = var.subnetwork == "" ? var.network : null
    subnetwork = var.subnetwork != "" ? var.subnetwork : null

    # An ephemeral external IPv4: clients and other nodes reach the node on it.
    access_config {}
  }

  metadata = {
    # Read by cloud-init (GCE datasource).
    user-data       = module.cloud_init.user_data[each.key]
    cascade-node-id = each.key
  }

  lifecycle {
    # A node keeps the machine and settings it was created with: a new image in the family,
    # another size or changed settings must not replace or restart every node at once (each
    # drops its viewers). Nodes created afterwards get them; the controller rolls a change by
    # replacing node ids.
    ignore_changes = [machine_type, boot_disk[0].initialize_params[0].image, metadata["user-data"]]

    precondition {
      condition     = length(var.manager_urls) == 0 || var.join_token != ""
      error_message = "join_token must be set when manager_urls is (nodes register with it)."
    }
  }
}
