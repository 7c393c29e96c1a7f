terraform {
  required_version = ">= 1.5"

  required_providers {
    # Configured by the caller (subscription, credentials, features {}).
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 3.0"
    }
  }
}
