// Rapport on Azure, secretless by default (docs/deploy.md walks through every resource):
// - one Linux App Service (Node 24 LTS) runs the single Express server: the tab at /, the API
//   at /api/* and the bot at /api/messages (shared/DESIGN.md §1);
// - a user-assigned managed identity is the web app's only credential: the Graph Entra app and
//   the bot's Entra app each hold a federated identity credential trusting it
//   (infra/scripts/federate-apps.mjs, run by m365agents.yml after this template), so no Graph
//   secret and no bot password exist;
// - the Azure Bot resource (single-tenant, Teams channel);
// - Key Vault (RBAC) for the secrets that remain, referenced from app settings;
// - Application Insights on a Log Analytics workspace (OpenTelemetry through the Azure Monitor
//   distribution reads APPLICATIONINSIGHTS_CONNECTION_STRING);
// - a storage account: the data store (an Azure Files share mounted at DATA_DIR) and the queues
//   and blobs of the distributed run path.
@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file (lower-case letters and digits).')
param resourceBaseName string

@description('App Service plan SKU. B1 runs a few thousand mailboxes a week; P0v3 or above for scale-out with workers.')
param webAppSku string = 'B1'

@description('Location for all resources except the Azure Bot (global).')
param location string = resourceGroup().location

@description('The Entra app for Teams SSO and the Graph application permissions (aadApp/create).')
param aadAppClientId string
param aadAppTenantId string
param aadAppOauthAuthorityHost string = 'https://login.microsoftonline.com'

@description('Microsoft Graph base URL (national clouds differ).')
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('The bot\'s single-tenant Entra app (aadApp/create, no secret).')
param botAadAppClientId string
@description('Tenant of the single-tenant bot app.')
param botTenantId string = aadAppTenantId
@maxLength(42)
param botDisplayName string = 'Rapport'
@allowed(['F0', 'S1'])
param botServiceSku string = 'F0'

@secure()
@description('Only if the tenant forbids federated credentials on the bot app: its client secret, kept in Key Vault. Empty (the default) means secretless.')
param botAppPassword string = ''

@description('Teams app id, for deep links to customer cards.')
param teamsAppId string

@description('Comma-separated Entra object ids of the first Rapport admins (the Rapport.Admin app role also works).')
param adminObjectIds string = ''

@description('Run enrichment through the storage queues (needs workers: docs/deploy.md, "Scaling out with workers"). Off: the in-process pool.')
param distributedRuns bool = false

@description('Days Log Analytics keeps telemetry.')
param logRetentionDays int = 30

var webAppName = resourceBaseName
var dataShareName = 'rapport-data'
var dataMountPath = '/mounts/rapport-data'
// Globally unique, 3-24 lower-case letters and digits.
var storageAccountName = take('${toLower(replace(resourceBaseName, '-', ''))}${uniqueString(resourceGroup().id)}', 24)
var keyVaultName = take('${resourceBaseName}-${uniqueString(resourceGroup().id)}', 24)

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

// ---------------------------------------------------------------- identity
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

// ---------------------------------------------------------------- telemetry
resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------- storage
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The Azure Files mount of App Service authenticates with the account key.
    allowSharedKeyAccess: true
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The data store: lowdb's files, mounted at DATA_DIR (not the App Service /home share).
resource dataShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = {
  parent: fileService
  name: dataShareName
  properties: { shareQuota: 100 }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// ---------------------------------------------------------------- Key Vault
resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

// The queues and blobs of the distributed path are reached with a connection string (helper
// G2's worker reads AZURE_STORAGE_CONNECTION_STRING); it holds the account key, so it lives
// here and the app setting is a Key Vault reference.
resource storageConnectionSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'storage-connection-string'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(botAppPassword)) {
  parent: keyVault
  name: 'bot-password'
  properties: { value: botAppPassword }
}

// ---------------------------------------------------------------- role assignments
resource blobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, roles.keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------- App Service
resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: { name: webAppSku }
  properties: { reserved: true }
}

var storageConnectionReference = '@Microsoft.KeyVault(SecretUri=${storageConnectionSecret.properties.secretUri})'
var baseSettings = [
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
  { name: 'DATA_DIR', value: dataMountPath }
  { name: 'PUBLIC_URL', value: 'https://${webAppName}.azurewebsites.net' }
  { name: 'TENANT_ID', value: aadAppTenantId }
  { name: 'CLIENT_ID', value: aadAppClientId }
  // Graph and the bot authenticate as their Entra apps through this identity (federated);
  // AZURE_CLIENT_ID lets @azure/identity's default chain pick the same identity for storage.
  { name: 'MANAGED_IDENTITY_CLIENT_ID', value: identity.properties.clientId }
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'AUTHORITY_HOST', value: aadAppOauthAuthorityHost }
  { name: 'GRAPH_BASE_URL', value: graphBaseUrl }
  { name: 'SSO_AUDIENCE', value: 'api://${webAppName}.azurewebsites.net/${aadAppClientId}' }
  { name: 'BOT_ID', value: botAadAppClientId }
  { name: 'BOT_TENANT_ID', value: botTenantId }
  { name: 'TEAMS_APP_ID', value: teamsAppId }
  { name: 'ADMIN_OBJECT_IDS', value: adminObjectIds }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
  { name: 'AZURE_STORAGE_ACCOUNT_NAME', value: storage.name }
]
var distributedSettings = distributedRuns ? [{ name: 'AZURE_STORAGE_CONNECTION_STRING', value: storageConnectionReference }] : []
// Built from the vault URI (it ends with '/'), as the secret exists only with a password.
var botPasswordSettings = empty(botAppPassword) ? [] : [{ name: 'BOT_PASSWORD', value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/bot-password)' }]

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [secretsUser, botPasswordSecret]
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity (it holds Key Vault Secrets User).
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/api/health'
      appCommandLine: 'node dist/server/src/main.js'
      azureStorageAccounts: {
        data: {
          type: 'AzureFiles'
          accountName: storage.name
          shareName: dataShare.name
          mountPath: dataMountPath
          accessKey: storage.listKeys().keys[0].value
        }
      }
      appSettings: concat(baseSettings, distributedSettings, botPasswordSettings)
    }
  }
}

// ---------------------------------------------------------------- Azure Bot
// Single-tenant: Azure no longer creates multi-tenant bot registrations.
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: { name: botServiceSku }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppTenantId: botTenantId
    msaAppType: 'SingleTenant'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

// Names are what the toolkit writes into env/.env.<env>.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
// The subject of the federated credentials (infra/scripts/federate-apps.mjs).
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output KEY_VAULT_NAME string = keyVault.name
output STORAGE_ACCOUNT_NAME string = storage.name
output APPLICATIONINSIGHTS_RESOURCE_ID string = appInsights.id
