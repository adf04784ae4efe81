/**
 * agents-hosting 0.6's CloudAdapter keeps ONE connector client on the adapter and swaps it on
 * every incoming request and proactive turn, so concurrent sends can use each other's client.
 * It also swallows proactive failures into `onTurnError`, and its axios interceptor drops the
 * HTTP status and the Retry-After header. This subclass fixes the three for Rapport:
 * - every turn sends through the client stored in its own turn state;
 * - `continueConversation` rethrows what the logic threw, so callers see send failures;
 * - connector errors become `ConnectorHttpError` with status, Bot Framework error code and Retry-After.
 */
import { Activity, ActivityTypes, type ConversationReference } from '@microsoft/agents-activity';
import { CloudAdapter, type ConnectorClient, INVOKE_RESPONSE_KEY, type AuthConfiguration, type AuthProvider, type TurnContext } from '@microsoft/agents-hosting';

type ResourceResponse = Awaited<ReturnType<CloudAdapter['sendActivities']>>[number];
/** axios is the SDK's HTTP client; its types are reached through the SDK, not imported. */
type AxiosInstance = ConnectorClient['axiosInstance'];

const CONNECTOR_CLIENT_KEY = 'connectorClient';
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

export class ConnectorHttpError extends Error {
  constructor(
    readonly status: number,
    /** Bot Framework's `error.code`, e.g. "BotNotInConversationRoster". */
    readonly code: string,
    readonly retryAfterMs: number | null,
  ) {
    super(`The Bot Framework connector answered ${status}${code ? ` ${code}` : ''}`);
    this.name = 'ConnectorHttpError';
  }
}

export class RapportCloudAdapter extends CloudAdapter {
  constructor(authConfig: AuthConfiguration, authProvider?: AuthProvider) {
    super(authConfig, authProvider);
  }

  protected override async createConnectorClient(serviceUrl: string, scope: string): Promise<ConnectorClient> {
    const client = await super.createConnectorClient(serviceUrl, scope);
    exposeHttpErrors(client.axiosInstance);
    return client;
  }

  override async continueConversation(reference: ConversationReference, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    if (!reference?.serviceUrl || !reference.conversation?.id) throw new Error('Invalid conversation reference object');
    const context = this.createTurnContext(Activity.getContinuationActivity(reference), logic);
    context.turnState.set(CONNECTOR_CLIENT_KEY, await this.createConnectorClient(reference.serviceUrl, BOT_FRAMEWORK_SCOPE));
    let failure: unknown;
    await this.runMiddleware(context, async (ctx) => {
      try {
        await logic(ctx);
      } catch (e) {
        failure = e;
      }
    });
    if (failure !== undefined) throw failure;
  }

  override async sendActivities(context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      delete activity.id;
      if (activity.type === ActivityTypes.InvokeResponse) {
        context.turnState.set(INVOKE_RESPONSE_KEY, activity);
        responses.push({ id: '' });
      } else if (activity.type === ActivityTypes.Trace || activity.type === ActivityTypes.Delay) {
        responses.push({ id: '' });
      } else {
        if (!activity.serviceUrl || !activity.conversation?.id) throw new Error('Invalid activity object');
        const client = this.clientOf(context);
        const response = activity.replyToId
          ? await client.replyToActivityAsync(activity.conversation.id, activity.replyToId, activity)
          : await client.sendToConversationAsync(activity.conversation.id, activity);
        responses.push(response ?? { id: '' });
      }
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Activity): Promise<ResourceResponse | void> {
    if (!activity.serviceUrl || !activity.conversation?.id || !activity.id) throw new Error('Invalid activity object');
    const response = await this.clientOf(context).updateActivityAsync(activity.conversation.id, activity.id, activity);
    return response?.id ? { id: response.id } : undefined;
  }

  private clientOf(context: TurnContext): ConnectorClient {
    return context.turnState.get<ConnectorClient>(CONNECTOR_CLIENT_KEY) ?? this.connectorClient;
  }
}

/**
 * Lets every status through axios's own handling, then turns a non-2xx answer into a
 * `ConnectorHttpError` after the SDK's logging interceptor (which would drop the details).
 */
function exposeHttpErrors(axios: AxiosInstance): void {
  axios.defaults.validateStatus = () => true;
  axios.interceptors.response.use((response) => {
    if (response.status >= 200 && response.status < 300) return response;
    const data = response.data as { error?: { code?: unknown } } | undefined;
    const code = typeof data?.error?.code === 'string' ? data.error.code : '';
    throw new ConnectorHttpError(response.status, code, parseRetryAfter(response.headers?.['retry-after']));
  });
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
