import { defineResource } from '../../../shared/router';
import * as getAll from './getAll.operation';

export const booking = defineResource({ name: 'Booking', operations: { getAll }, default: 'getAll' });
