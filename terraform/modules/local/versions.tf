terraform {
  # terraform_data (1.4) and the validation and check features used here (1.5).
  required_version = ">= 1.5"

  # No required_providers: terraform_data and local-exec are built into Terraform, so this module
  # needs no download and runs offline.
}
