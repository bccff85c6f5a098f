import { defineResource } from '../../../shared/router';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const place = defineResource({ name: 'Place', operations: { get, getAll }, default: 'getAll' });
