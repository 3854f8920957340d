import { ProviderReceipt, RobotChannel } from '../delivery/delivery-failure';

/** How a robot message is rendered: the platform's markdown dialect, or plain text. */
export type RobotFormat = 'markdown' | 'text';

/** One message to one group robot. */
export interface RobotMessage {
  /** The robot's name in configuration (never its key, token or secret: those stay with the provider). */
  robot: string;
  format: RobotFormat;
  /** Shown as the title (DingTalk's markdown title, Feishu's card header); WeCom has none and ignores it. */
  title: string;
  text: string;
  /** The notification's stable reference, for logs and the delivery log. */
  ref: string;
}

/**
 * Posts to the group robots of one platform. Robots have no idempotency key: a send whose outcome is unknown must
 * not be repeated (the caller holds it), only one proven not taken (`not_sent`) may be.
 */
export interface IRobotProvider {
  readonly id: string;
  readonly channel: RobotChannel;
  /** False while the channel's breaker is open: the sender claims nothing for the channel then. */
  isAvailable(): boolean;
  /** Whether `robot` names a configured robot (an unknown name is refused without a call). */
  knows(robot: string): boolean;
  send(message: RobotMessage): Promise<ProviderReceipt>;
  close(): Promise<void>;
}

export const ROBOT_PROVIDERS = Symbol('ROBOT_PROVIDERS');
