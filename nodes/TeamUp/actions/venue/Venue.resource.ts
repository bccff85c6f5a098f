import { defineResource } from '../../../shared/router';
import * as getAll from './getAll.operation';

export const venue = defineResource({ name: 'Venue', operations: { getAll }, default: 'getAll' });
