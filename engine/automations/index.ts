// The automations engine's boundary: what api/ and other engines may call.
export {
  DEFAULT_REPLY_AUTOMATION,
  DEFAULT_REPLY_CONSUMER,
  type DefaultReplyOptions,
  defaultReplyAutomation,
  defaultReplyConsumer,
  simulatorReply,
} from './default-reply.js';
