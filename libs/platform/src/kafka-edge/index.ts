export { contractDecoder } from './contract-decoder';
export { OnTopic, type TopicHandler } from './on-topic.decorator';
