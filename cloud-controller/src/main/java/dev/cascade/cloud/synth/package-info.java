/** The Terraform root configuration of a deployment, synthesized with the Terraform CDK (a thin layer over terraform/modules). */
package dev.cascade.cloud.synth;
