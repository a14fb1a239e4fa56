import type { Plan } from './tenancy';

/**
 * What each plan gives, as data: numbers and billing read these columns and
 * never test a plan's name. Prices are in US cents per month, billed
 * annually; each seat includes one number.
 */
export const planTable = {
  starter: {
    seatMonthlyCents: 1500,
    extraNumberMonthlyCents: 500,
    membersPerNumber: 10,
    customRingOrder: false,
    ringAtOnce: 10,
  },
  business: {
    seatMonthlyCents: 2300,
    extraNumberMonthlyCents: 500,
    membersPerNumber: 100,
    customRingOrder: true,
    ringAtOnce: 10,
  },
  scale: {
    seatMonthlyCents: 3500,
    extraNumberMonthlyCents: 500,
    membersPerNumber: 100,
    customRingOrder: true,
    ringAtOnce: 10,
  },
} as const satisfies Record<
  Plan,
  {
    seatMonthlyCents: number;
    extraNumberMonthlyCents: number;
    membersPerNumber: number;
    customRingOrder: boolean;
    ringAtOnce: number;
  }
>;
