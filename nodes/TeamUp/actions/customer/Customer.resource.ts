import { defineResource } from '../../../shared/router';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const customer = defineResource({ name: 'Customer', operations: { get, getAll }, default: 'getAll' });
