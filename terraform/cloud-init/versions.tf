terraform {
  # Internal to the cloud modules, which require the same.
  required_version = ">= 1.5"
}
