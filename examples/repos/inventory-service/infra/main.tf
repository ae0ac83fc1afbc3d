terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }
  backend "s3" {
    bucket = "example-terraform-state"
    key    = "inventory-service/terraform.tfstate"
    region = "eu-central-1"
  }
}

provider "aws" {
  region = "eu-central-1"
}

resource "aws_db_instance" "inventory" {
  identifier                  = "inventory"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "inventory"
  manage_master_user_password = true
  storage_encrypted           = true
  skip_final_snapshot         = false
  tags = {
    team    = "web-team"
    service = "inventory-service"
  }
}
