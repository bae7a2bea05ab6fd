import type { Scenario } from '../lib/scenario';
import { closedLoop } from './closed-loop';

/**
 * Capacity with every result published to an MQTT broker on loopback
 * (Mosquitto, started by the run): publishing must cost little.
 */
export const closedLoopMqtt: Scenario = {
  ...closedLoop,
  id: 'closed-loop-mqtt',
  title: '8 cameras, closed loop, results to MQTT',
  target: 'within 10 % of the closed loop without MQTT',
  broker: true,
};
