package com.lockkeeper;
public class Lockkeeper { public static void main(String[] a){ System.out.println("hi"); } }
