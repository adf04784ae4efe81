// Rapport on Azure: one Linux App Service (Node 20) runs the single Express server that serves
// the tab at /, the REST API at /api/* and the bot at /api/messages (shared/DESIGN.md §1).
@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('App Service plan SKU; B1 is enough for a few thousand mailboxes a week.')
param webAppSku string = 'B1'

@description('Location for all resources.')
param location string = resourceGroup().location

@description('Entra app (SSO audience and Graph application permissions).')
param aadAppClientId string
@secure()
param aadAppClientSecret string
param aadAppTenantId string
param aadAppOauthAuthorityHost string = 'https://login.microsoftonline.com'

@description('Bot app registration (botAadApp/create).')
param botAadAppClientId string
@secure()
param botAadAppClientSecret string

@description('Teams app id, for deep links to customer cards.')
param teamsAppId string

@description('Comma-separated Entra object ids of the first Rapport admins (the Rapport.Admin app role also works).')
param adminObjectIds string = ''

var serverfarmsName = resourceBaseName
var webAppName = resourceBaseName

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  kind: 'linux'
  location: location
  name: serverfarmsName
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  kind: 'app,linux'
  location: location
  name: webAppName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      // The scheduler runs in-process, so one always-on instance.
      appCommandLine: 'node dist/server/src/main.js'
      appSettings: [
        { name: 'WEBSITE_NODE_DEFAULT_VERSION', value: '~20' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        // /home is the App Service's persistent share: lowdb keeps its file there.
        { name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE', value: 'true' }
        { name: 'DATA_DIR', value: '/home/data/rapport' }
        { name: 'PUBLIC_URL', value: 'https://${webAppName}.azurewebsites.net' }
        { name: 'TENANT_ID', value: aadAppTenantId }
        { name: 'CLIENT_ID', value: aadAppClientId }
        { name: 'CLIENT_SECRET', value: aadAppClientSecret }
        { name: 'AUTHORITY_HOST', value: aadAppOauthAuthorityHost }
        { name: 'SSO_AUDIENCE', value: 'api://${webAppName}.azurewebsites.net/${aadAppClientId}' }
        { name: 'BOT_ID', value: botAadAppClientId }
        { name: 'BOT_PASSWORD', value: botAadAppClientSecret }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
        { name: 'ADMIN_OBJECT_IDS', value: adminObjectIds }
      ]
    }
  }
}

// Names are what the Teams Toolkit writes into env/.env.<env>.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
