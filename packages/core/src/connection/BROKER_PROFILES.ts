import type { BrokerProfile } from './brokerProfile';

/** Names of the built-in broker profiles. */
export type BrokerProfileName = 'easemob' | 'mosquitto' | 'emqx' | 'nats' | 'rabbitmq' | 'aedes' | 'generic';

/** MQTT's own ceilings: a topic is a UTF-8 string of at most 65,535 bytes, a packet at most 256 MB. */
const MQTT_MAX_STRING = 65_535;
const MQTT_MAX_PAYLOAD = 268_435_455;
const MIB = 1_048_576;

const generic: BrokerProfile = {
  name: 'generic',
  maxTopicLength: MQTT_MAX_STRING,
  maxTopicLevels: Infinity,
  topicCharacters: 'any UTF-8 except U+0000',
  dollarTopics: true,
  maxPayloadBytes: MQTT_MAX_PAYLOAD,
  protocolVersions: [4, 5],
  maxQos: 2,
  retain: true,
  retainWildcardDelivery: true,
  wills: true,
  wildcards: true,
  maxClientIdLength: MQTT_MAX_STRING,
  source: 'MQTT 3.1.1 §1.5.3 and MQTT 5 §1.5.4 (UTF-8 strings ≤ 65,535 bytes), §2.2.3 (remaining length ≤ 268,435,455)',
};

const define = (p: BrokerProfile): BrokerProfile => Object.freeze(p);

/** Easemob's alphabet for topic levels and client ids. */
const EASEMOB_CHARS = /^[0-9A-Za-z_@-]*$/;

/**
 * The built-in broker profiles. Each one's `source` says where its limits come from; docs/brokers.md
 * lists them with what the tests show on each broker.
 */
export const BROKER_PROFILES: Readonly<Record<BrokerProfileName, BrokerProfile>> = Object.freeze({
  generic: define(generic),
  easemob: define({
    ...generic,
    name: 'easemob',
    maxTopicLength: 64,
    topicLevel: EASEMOB_CHARS,
    topicCharacters: '0-9 a-z A-Z - _ @ (with / between levels, $ leading only)',
    maxPayloadBytes: 65_535,
    maxClientIdLength: 64,
    clientIdPattern: /^[0-9A-Za-z_@-]+$/,
    source:
      'Easemob MQTT restrictions page: topics 1-64 characters of 0-9 a-z A-Z - _ @, messages ≤ 65,535 bytes (larger ones dropped), client id ≤ 64 of the same characters',
  }),
  mosquitto: define({
    ...generic,
    name: 'mosquitto',
    source: 'mosquitto.conf(5) 2.0: message_size_limit 0 (MQTT maximum), max_qos 2, MQTT 3.1, 3.1.1 and 5; tested here with protocolVersion 4 and 5',
  }),
  emqx: define({
    ...generic,
    name: 'emqx',
    maxTopicLevels: 128,
    // mqtt.max_packet_size (1 MB) covers the whole PUBLISH; leave room for the fixed header and a topic.
    maxPayloadBytes: 1_000_000,
    source:
      'EMQX operating limitations: max_packet_size 1 MB (whole packet), max_topic_levels 128, max_topic_length 65,535, max_clientid_len 65,535, max_qos_allowed 2, MQTT 3.1/3.1.1/5',
  }),
  nats: define({
    ...generic,
    name: 'nats',
    // NATS maps MQTT levels to subject tokens: '.' is its separator, ' ' ends a subject, '*' and '>' are its wildcards.
    topicLevel: /^[^. *>]*$/,
    topicCharacters: "any UTF-8 except '.', ' ', '*' and '>'",
    maxPayloadBytes: MIB,
    protocolVersions: [4],
    maxQos: 1,
    // QoS 1 subscriptions need JetStream: while it elects a leader after a node died, SUBACK says 0x80.
    subscribeRetryMs: [500, 1000, 2000, 4000, 4000],
    cleanSubscriptionsAtQos0: true,
    source:
      'NATS 2.9 MQTT docs and README-MQTT.md: MQTT 3.1.1 only, QoS 0/1, no "." or " " in topics (2.9 closes the link); "*" and ">" in a filter act as NATS wildcards (tested here on nats-server 2.9.10); max_payload 1 MB by default',
  }),
  rabbitmq: define({
    ...generic,
    name: 'rabbitmq',
    // MQTT levels become AMQP routing-key words: a '.' splits a level in two (x/a.b is delivered to x/a/b
    // subscribers), and '*' in a filter is AMQP's one-word wildcard. Both measured on 3.10.
    topicLevel: /^[^.*]*$/,
    topicCharacters: "any UTF-8 except '.' and '*'",
    // rabbitmq.conf max_message_size default (128 MiB) in 3.10.
    maxPayloadBytes: 134_217_728,
    protocolVersions: [4],
    maxQos: 1,
    retainWildcardDelivery: false,
    source:
      "RabbitMQ 3.10 MQTT plugin guide: MQTT 3.1.1, QoS 0/1 (QoS 2 downgraded), retained messages only for exact filters; '.' and '*' in topics follow AMQP routing-key rules (tested here on rabbitmq-server 3.10)",
  }),
  aedes: define({
    ...generic,
    name: 'aedes',
    protocolVersions: [4],
    source: 'Aedes 1.2: MQTT 3.1.1 only (MQTT 5 CONNECT answered "unacceptable protocol version"); tested here in-process',
  }),
});
