import { defineResource } from '../../../shared/router';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const event = defineResource({ name: 'Event', operations: { get, getAll }, default: 'getAll' });
