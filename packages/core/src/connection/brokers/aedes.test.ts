import { startBroker } from '@coplay/testkit';
import { connectionSuite } from './connectionSuite';

connectionSuite({ name: 'Aedes (embedded, MQTT 3.1.1)', broker: 'aedes', start: () => startBroker({ record: false }) });
