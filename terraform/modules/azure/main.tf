module "cloud_init" {
  source = "./cloud-init"

  cloud        = "azure"
  name         = var.name
  role         = var.role
  region       = var.region
  nodes        = var.nodes
  group        = var.group
  manager_urls = var.manager_urls
  join_token   = var.join_token
  node_config  = var.node_config
  package_url  = var.package_url
  # Static public IPs exist before their VMs, so each node is simply told its own.
  public_hosts = { for id, ip in azurerm_public_ip.node : id => ip.ip_address }
}

locals {
  resource_group_name = var.resource_group_name != "" ? var.resource_group_name : azurerm_resource_group.node[0].name
  subnet_id           = var.subnet_id != "" ? var.subnet_id : azurerm_subnet.node[0].id

  # publisher:offer:sku:version (the az CLI's URN form), or an image resource id.
  image     = var.image != "" ? var.image : "Debian:debian-12:12-gen2:latest"
  image_id  = startswith(local.image, "/") ? local.image : null
  image_urn = startswith(local.image, "/") ? [] : [split(":", local.image)]

  tags = merge(
    {
      cascade-deployment = var.name
      cascade-role       = var.role
    },
    var.group == "" ? {} : { cascade-group = var.group },
  )

  # NSG rule priorities must be unique within the group: 100, 110, ... in the rules' order.
  security_rules = concat(
    [
      for i, r in module.cloud_init.firewall_rules : {
        name     = "cascade-${r.name}"
        priority = 100 + 10 * i
        protocol = title(r.protocol)
        port     = tostring(r.port)
        sources  = var.allowed_cidrs
      }
    ],
    length(var.ssh_cidrs) == 0 ? [] : [
      { name = "ssh", priority = 400, protocol = "Tcp", port = "22", sources = var.ssh_cidrs },
    ],
  )
}

resource "azurerm_resource_group" "node" {
  count = var.resource_group_name == "" ? 1 : 0

  name     = module.cloud_init.deployment_name
  location = var.region
  tags     = local.tags
}

resource "azurerm_virtual_network" "node" {
  count = var.subnet_id == "" ? 1 : 0

  name                = module.cloud_init.deployment_name
  resource_group_name = local.resource_group_name
  location            = var.region
  address_space       = [var.address_space]
  tags                = local.tags
}

resource "azurerm_subnet" "node" {
  count = var.subnet_id == "" ? 1 : 0

  name                 = "nodes"
  resource_group_name  = local.resource_group_name
  virtual_network_name = azurerm_virtual_network.node[0].name
  address_prefixes     = [cidrsubnet(var.address_space, 4, 0)]
}

resource "azurerm_network_security_group" "node" {
  name                = module.cloud_init.deployment_name
  resource_group_name = local.resource_group_name
  location            = var.region
  tags                = local.tags

  dynamic "security_rule" {
    for_each = local.security_rules
    content {
      name                       = security_rule.value.name
      priority                   = security_rule.value.priority
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = security_rule.value.protocol
      source_port_range          = "*"
      destination_port_range     = security_rule.value.port
      source_address_prefixes    = security_rule.value.sources
      destination_address_prefix = "*"
    }
  }
}

resource "azurerm_public_ip" "node" {
  for_each = toset(var.nodes)

  name                = "${module.cloud_init.names[each.key]}-ip"
  resource_group_name = local.resource_group_name
  location            = var.region
  # Static: the address is known before the VM boots (it goes into the node's settings) and
  # stays for the VM's life. Standard SKU: closed to inbound traffic except what the NSG allows.
  allocation_method = "Static"
  sku               = "Standard"
  tags              = merge(local.tags, { cascade-node = each.key })
}

resource "azurerm_network_interface" "node" {
  for_each = toset(var.nodes)

  name                = "${module.cloud_init.names[each.key]}-nic"
  resource_group_name = local.resource_group_name
  location            = var.region
  tags                = merge(local.tags, { cascade-node = each.key })

  ip_configuration {
    name                          = "primary"
    subnet_id                     = local.subnet_id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.node[each.key].id
  }
}

# On the NIC rather than the subnet: a subnet given by the caller may carry other machines.
resource "azurerm_network_interface_security_group_association" "node" {
  for_each = toset(var.nodes)

  network_interface_id      = azurerm_network_interface.node[each.key].id
  network_security_group_id = azurerm_network_security_group.node.id
}

resource "azurerm_linux_virtual_machine" "node" {
  # for_each, never count: removing one id destroys exactly that VM.
  for_each = toset(var.nodes)

  name                  = module.cloud_init.names[each.key]
  resource_group_name   = local.resource_group_name
  location              = var.region
  size                  = var.size != "" ? var.size : "Standard_F2s_v2"
  network_interface_ids = [azurerm_network_interface.node[each.key].id]
  custom_data           = base64encode(module.cloud_init.user_data[each.key])
  tags                  = merge(local.tags, { cascade-node = each.key })

  admin_username                  = var.admin_username
  disable_password_authentication = true

  admin_ssh_key {
    username   = var.admin_username
    public_key = var.admin_ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
    disk_size_gb         = var.os_disk_size_gb
  }

  source_image_id = local.image_id

  dynamic "source_image_reference" {
    for_each = local.image_urn
    content {
      publisher = source_image_reference.value[0]
      offer     = source_image_reference.value[1]
      sku       = source_image_reference.value[2]
      version   = source_image_reference.value[3]
    }
  }

  # The rules must be in place before the node starts and registers.
  depends_on = [azurerm_network_interface_security_group_association.node]

  lifecycle {
    # A node keeps the machine and settings it was created with: another size, image, SSH key or
    # changed settings must not replace or restart every node at once (each drops its viewers).
    # Nodes created afterwards get them; the controller rolls a change by replacing node ids.
    ignore_changes = [size, source_image_id, source_image_reference, custom_data, admin_ssh_key]

    precondition {
      condition     = length(var.manager_urls) == 0 || var.join_token != ""
      error_message = "join_token must be set when manager_urls is (nodes register with it)."
    }
  }
}
