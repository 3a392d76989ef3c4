#include "localdynamo/schema.h"

#include "localdynamo/requests.h"

namespace localdynamo {

const char* ToString(KeyType v) { return v == KeyType::kHash ? "HASH" : "RANGE"; }

const char* ToString(ScalarAttributeType v) {
  switch (v) {
    case ScalarAttributeType::kS:
      return "S";
    case ScalarAttributeType::kN:
      return "N";
    case ScalarAttributeType::kB:
      return "B";
  }
  return "S";
}

const char* ToString(ProjectionType v) {
  switch (v) {
    case ProjectionType::kAll:
      return "ALL";
    case ProjectionType::kKeysOnly:
      return "KEYS_ONLY";
    case ProjectionType::kInclude:
      return "INCLUDE";
  }
  return "ALL";
}

const char* ToString(BillingMode v) {
  return v == BillingMode::kProvisioned ? "PROVISIONED" : "PAY_PER_REQUEST";
}

const char* ToString(StreamViewType v) {
  switch (v) {
    case StreamViewType::kKeysOnly:
      return "KEYS_ONLY";
    case StreamViewType::kNewImage:
      return "NEW_IMAGE";
    case StreamViewType::kOldImage:
      return "OLD_IMAGE";
    case StreamViewType::kNewAndOldImages:
      return "NEW_AND_OLD_IMAGES";
  }
  return "NEW_IMAGE";
}

const char* ToString(TableStatus v) {
  switch (v) {
    case TableStatus::kCreating:
      return "CREATING";
    case TableStatus::kUpdating:
      return "UPDATING";
    case TableStatus::kDeleting:
      return "DELETING";
    case TableStatus::kActive:
      return "ACTIVE";
  }
  return "ACTIVE";
}

const char* ToString(TableClass v) {
  return v == TableClass::kStandard ? "STANDARD" : "STANDARD_INFREQUENT_ACCESS";
}

const char* ToString(IndexStatus v) {
  switch (v) {
    case IndexStatus::kCreating:
      return "CREATING";
    case IndexStatus::kUpdating:
      return "UPDATING";
    case IndexStatus::kDeleting:
      return "DELETING";
    case IndexStatus::kActive:
      return "ACTIVE";
  }
  return "ACTIVE";
}

const char* ToString(ReturnValue v) {
  switch (v) {
    case ReturnValue::kNone:
      return "NONE";
    case ReturnValue::kAllOld:
      return "ALL_OLD";
    case ReturnValue::kUpdatedOld:
      return "UPDATED_OLD";
    case ReturnValue::kAllNew:
      return "ALL_NEW";
    case ReturnValue::kUpdatedNew:
      return "UPDATED_NEW";
  }
  return "NONE";
}

const char* ToString(Select v) {
  switch (v) {
    case Select::kAllAttributes:
      return "ALL_ATTRIBUTES";
    case Select::kAllProjectedAttributes:
      return "ALL_PROJECTED_ATTRIBUTES";
    case Select::kSpecificAttributes:
      return "SPECIFIC_ATTRIBUTES";
    case Select::kCount:
      return "COUNT";
  }
  return "ALL_ATTRIBUTES";
}

}  // namespace localdynamo
