module "cloud_init" {
  source = "./cloud-init"

  cloud        = "aws"
  name         = var.name
  role         = var.role
  region       = var.region
  nodes        = var.nodes
  group        = var.group
  manager_urls = var.manager_urls
  join_token   = var.join_token
  node_config  = var.node_config
  package_url  = var.package_url
  # The public IPv4 is NAT'ed onto the instance, so only the metadata service (IMDSv2) knows it.
  public_host_command = "t=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token) && curl -sf -H \"X-aws-ec2-metadata-token: $t\" http://169.254.169.254/latest/meta-data/public-ipv4"
}

data "aws_region" "current" {}

# Debian publishes no stable AMI id, only a naming scheme: debian-12-amd64-<date>-<build>.
data "aws_ami" "debian" {
  count       = var.image == "" ? 1 : 0
  most_recent = true
  owners      = ["136693071363"]

  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

data "aws_subnet" "given" {
  count = var.subnet_id == "" ? 0 : 1
  id    = var.subnet_id
}

locals {
  tags = merge(
    {
      "cascade:deployment" = var.name
      "cascade:role"       = var.role
    },
    var.group == "" ? {} : { "cascade:group" = var.group },
  )

  ingress = merge(
    {
      for pair in setproduct(module.cloud_init.firewall_rules, var.allowed_cidrs) :
      "${pair[0].name} ${pair[1]}" => { protocol = pair[0].protocol, port = pair[0].port, cidr = pair[1] }
    },
    { for cidr in var.ssh_cidrs : "ssh ${cidr}" => { protocol = "tcp", port = 22, cidr = cidr } },
  )
}

resource "aws_security_group" "node" {
  name_prefix = "${module.cloud_init.deployment_name}-"
  description = "Cascade ${var.role} nodes of ${var.name}"
  # null: the region's default VPC, where AWS also picks the subnet.
  vpc_id = var.subnet_id == "" ? null : data.aws_subnet.given[0].vpc_id
  tags   = merge(local.tags, { Name = module.cloud_init.deployment_name })

  lifecycle {
    # A replacement group (another VPC) must exist before the instances move to it.
    create_before_destroy = true

    precondition {
      condition     = data.aws_region.current.id == var.region
      error_message = "region is ${var.region} but the aws provider given to this module is for ${data.aws_region.current.id}: pass a provider configured for ${var.region}."
    }
  }
}

# One rule resource per port and range, not inline blocks: rules then change one by one.
resource "aws_vpc_security_group_ingress_rule" "node" {
  for_each = local.ingress

  security_group_id = aws_security_group.node.id
  ip_protocol       = each.value.protocol
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr
  tags              = local.tags
}

# Out to anywhere: packages at boot, the stream managers, other nodes' SRT ports, viewers.
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.node.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

resource "aws_instance" "node" {
  # for_each, never count: removing one id destroys exactly that instance.
  for_each = toset(var.nodes)

  ami                         = var.image != "" ? var.image : data.aws_ami.debian[0].id
  instance_type               = var.size != "" ? var.size : "c6i.large"
  subnet_id                   = var.subnet_id != "" ? var.subnet_id : null
  vpc_security_group_ids      = [aws_security_group.node.id]
  key_name                    = var.key_name != "" ? var.key_name : null
  associate_public_ip_address = true
  user_data                   = module.cloud_init.user_data[each.key]

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = var.root_volume_size
  }

  tags        = merge(local.tags, { Name = module.cloud_init.names[each.key], "cascade:node" = each.key })
  volume_tags = merge(local.tags, { "cascade:node" = each.key })

  lifecycle {
    # A node keeps the machine and settings it was created with: a newer Debian AMI, another size,
    # key pair or changed settings must not replace or restart every node at once (each drops its
    # viewers). Nodes created afterwards get them; the controller rolls a change by replacing ids.
    ignore_changes = [ami, instance_type, user_data, key_name]

    precondition {
      condition     = length(var.manager_urls) == 0 || var.join_token != ""
      error_message = "join_token must be set when manager_urls is (nodes register with it)."
    }
  }
}
