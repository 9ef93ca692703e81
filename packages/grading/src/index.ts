export { quotaDay, type QuotaDay } from './quota-day.ts';
