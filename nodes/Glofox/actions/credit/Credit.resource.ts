import { defineResource } from '../../../shared/router';
import * as getAll from './getAll.operation';

export const credit = defineResource({ name: 'Credit', operations: { getAll }, default: 'getAll' });
