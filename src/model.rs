//! The Connection model as the Unified.to API puts it on the wire.
//!
//! These types are the single source of truth: the JSON Schema in `schemas/` is derived
//! from them (see `schema.rs`); the lint rules learn field and enum names from that schema
//! (`rules/known.rs`), so they follow these types. Field names are the snake_case wire
//! names; doc comments become schema `description`s. This module only describes data: it
//! does no I/O and no validation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A connection represents a specific authentication of an integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "Connection")]
pub(crate) struct Connection {
    #[doc = "An authentication object that represents a specific authorized user's connection \
             to an integration."]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<ConnectionAuth>,
    /// The AWS ARN the connection's credentials are stored under, when they are kept in AWS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_aws_arn: Option<String>,
    /// The Integration categories that this connection supports.
    pub categories: Vec<Category>,
    /// When the connection was created (RFC 3339 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub created_at: Option<String>,
    /// The environment the connection belongs to (for example `Production`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The caller's own identifier for this connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_xref: Option<String>,
    /// The connection's identifier, assigned by Unified.to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The integration this connection authenticates, e.g. `salesforce` or `hubspot`.
    pub integration_type: String,
    /// Whether the connection is paused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_paused: Option<bool>,
    /// The permissions the connection was authorized with.
    pub permissions: Vec<Permission>,
    /// When the connection was last updated (RFC 3339 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub updated_at: Option<String>,
    /// The workspace the connection belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
}

#[doc = "An authentication object that represents a specific authorized user's connection to \
         an integration."]
///
/// Several fields hold secrets (`access_token`, `refresh_token`, `client_secret`,
/// `consumer_secret`, `token`, `key`, `pem`, `other_auth_info`); connlint never prints them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "ConnectionAuth")]
pub(crate) struct ConnectionAuth {
    /// The OAuth2 access token (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// The base URL of the integration's API, for integrations hosted per customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// The integration's application identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The OAuth2 authorization URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    /// The OAuth2 client identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The OAuth2 client secret (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// The OAuth1 consumer key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_key: Option<String>,
    /// The OAuth1 consumer secret (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_secret: Option<String>,
    /// The e-mail addresses of the authorized user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<String>>,
    /// Seconds until the access token expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<f64>,
    /// When the access token expires (RFC 3339 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub expiry_date: Option<String>,
    /// An API key (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Free-form, integration-specific data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The name of the authorized user or account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[doc = "When the integration's auth type is \"other\": the credentials, in the same order as \
             that integration's token names (secret)."]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_auth_info: Option<Vec<String>>,
    /// A PEM-encoded private key or certificate (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pem: Option<String>,
    /// The OAuth2 refresh token (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// When the refresh token expires (RFC 3339 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub refresh_token_expires_date: Option<String>,
    /// Seconds until the refresh token expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_in: Option<f64>,
    /// The OAuth2 state parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// A bearer token or API token (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The OAuth2 token URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
}

/// An integration category that a connection supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub(crate) enum Category {
    Passthrough,
    Hris,
    Ats,
    Auth,
    Crm,
    Enrich,
    Martech,
    Ticketing,
    Uc,
    Accounting,
}

/// A permission a connection was authorized with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub(crate) enum Permission {
    AuthLogin,
    AccountingInvoiceRead,
    AccountingInvoiceWrite,
    AccountingCustomerRead,
    AccountingCustomerWrite,
    AccountingPaymentRead,
    AccountingPaymentWrite,
    AtsScorecardRead,
    AtsScorecardWrite,
    AtsApplicationRead,
    AtsApplicationWrite,
    AtsCandidateRead,
    AtsCandidateWrite,
    AtsInterviewRead,
    AtsInterviewWrite,
    AtsJobRead,
    AtsJobWrite,
    AtsDocumentRead,
    AtsDocumentWrite,
    CrmCompanyRead,
    CrmCompanyWrite,
    CrmContactRead,
    CrmContactWrite,
    CrmDealRead,
    CrmDealWrite,
    CrmEventRead,
    CrmEventWrite,
    CrmLeadRead,
    CrmLeadWrite,
    CrmFileRead,
    CrmFileWrite,
    CrmPipelineRead,
    CrmPipelineWrite,
    MartechListRead,
    MartechListWrite,
    MartechMemberRead,
    MartechMemberWrite,
    TicketingCustomerRead,
    TicketingCustomerWrite,
    TicketingTicketRead,
    TicketingTicketWrite,
    TicketingNoteRead,
    TicketingNoteWrite,
    HrisEmployeeRead,
    HrisEmployeeWrite,
    HrisGroupRead,
    HrisGroupWrite,
    UcCallRead,
    Webhook,
}

/// Permissions an older SDK release had and the current one dropped.
pub(crate) const REMOVED_PERMISSIONS: &[&str] = &[
    "crm_user_read",
    "crm_user_write",
    "crm_team_read",
    "crm_team_write",
    "ticketing_agent_read",
    "ticketing_agent_write",
];
